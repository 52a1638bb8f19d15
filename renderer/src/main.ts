// Entry of the interface: applies the remembered theme before the first paint, then mounts the app.
import { mount } from 'svelte';
import App from './App.svelte';
import { applyTheme, storedTheme } from './lib/util/theme.js';
import './app.css';

applyTheme(storedTheme());
const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
mount(App, { target });
