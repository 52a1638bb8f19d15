// The library grid's timeline: the core's photos-per-day counts (photos.timeline, in the order the
// pages list the photos) turned into the grid's sections (a day header, and a month header where a
// month begins) and the scrubber's marks (one per month, years labelled). Only counts: the photos
// themselves load page by page as their rows come on screen.
import type { ApiOutput } from '../api/client.js';
import type { SectionSpec } from './layout.js';

/** One day of the core's answer: yyyymmdd (local time), or null for the photos without a date. */
export type TimelineDay = ApiOutput<'photos.timeline'>['days'][number];

/**
 * Days with few photos share a section (a line like "Mar 3 – 14"): a section takes the next day
 * of its month while it holds fewer than this, so a sparse library is not one photo per row.
 */
export const MIN_SECTION = 12;

/** Header heights, px: a day's line, and the month's title above the first day of a month. */
export const DAY_HEADER = 34;
export const MONTH_HEADER = 46;

export interface TimelineSection extends SectionSpec {
  /** Its newest day (yyyymmdd), null for the undated. */
  day: number | null;
  /** The month's title ("March 2021", "No date"): on every section, for the sticky header. */
  month: string;
  /** Whether this section begins its month (its header shows the month's title). */
  startsMonth: boolean;
  /** The day's line ("Sat, 14 Mar", or a range of days); empty for the undated. */
  dayLabel: string;
}

/** A month on the scrubber: the section where it begins. Undated photos are a mark of their own (year null). */
export interface TimelineMark {
  section: number;
  year: number | null;
  month: string;
}

export interface Timeline {
  sections: TimelineSection[];
  marks: TimelineMark[];
  total: number;
}

export const NO_DATE = 'No date';

const monthTitle = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' });
const dayLine = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });

/** yyyymmdd as a local Date (midday, so no zone change moves it to another day). */
export function dateOfDay(day: number): Date {
  return new Date(Math.floor(day / 10_000), (Math.floor(day / 100) % 100) - 1, day % 100, 12);
}

export function buildTimeline(days: readonly TimelineDay[]): Timeline {
  const sections: TimelineSection[] = [];
  const marks: TimelineMark[] = [];
  let total = 0;
  let previousMonth: number | null | undefined;
  /** The oldest day of the last section, for its range. */
  let oldest: Date | null = null;
  for (const { day, count } of days) {
    if (count <= 0) continue;
    total += count;
    const monthKey = day === null ? null : Math.floor(day / 100);
    const date = day === null ? null : dateOfDay(day);
    const last = sections[sections.length - 1];
    if (last && date && oldest && monthKey === previousMonth && last.count < MIN_SECTION) {
      last.count += count;
      oldest = date;
      last.dayLabel = dayLine.formatRange(date, dateOfDay(last.day!));
      continue;
    }
    const startsMonth = monthKey !== previousMonth;
    previousMonth = monthKey;
    oldest = date;
    const month = date ? monthTitle.format(date) : NO_DATE;
    // The undated group has the month's title only: there is no day to name.
    const header = (startsMonth ? MONTH_HEADER : 0) + (date ? DAY_HEADER : 0);
    if (startsMonth) marks.push({ section: sections.length, year: date ? date.getFullYear() : null, month });
    sections.push({ count, header, day, month, startsMonth, dayLabel: date ? dayLine.format(date) : '' });
  }
  return { sections, marks, total };
}
