// The message in the toast: the last error an action ran into. Every other state reports its
// failures through report(); a cancelled request (a superseded search) is not a failure.
import { isAbort } from '../api/client.js';
import { errorMessage } from '../../../../electron/common/error-message.js';

export class NoticeState {
  message = $state<string | null>(null);

  /** An arrow function, so the states can be handed it unbound. */
  readonly report = (err: unknown): void => {
    if (isAbort(err)) return;
    this.message = errorMessage(err);
  };

  dismiss(): void {
    this.message = null;
  }
}
