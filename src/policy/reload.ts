// Notices that a policy on disk changed: fs.watch (recursive for directories) for speed, and a poll
// of file mtimes and sizes as the fallback for file systems and platforms where watch events are
// lost or unsupported (network mounts, editors that replace files by rename). Both paths are
// debounced into one `onChange` call; the caller does the reload.
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { statSync } from 'node:fs';
import { fingerprint } from './load.ts';

export interface WatchOptions {
  /** Quiet time after the last event before reloading, ms (default 100). */
  debounceMs?: number;
  /** Poll interval, ms (default 1000; 0 turns polling off). */
  pollMs?: number;
}

export class PolicyWatcher {
  private watcher: FSWatcher | null = null;
  private poll: NodeJS.Timeout | null = null;
  private timer: NodeJS.Timeout | null = null;
  private last: string;
  private closed = false;

  constructor(private readonly path: string, private readonly onChange: () => void, private readonly o: WatchOptions = {}) {
    this.last = fingerprint(path);
  }

  start(): void {
    let isDir = false;
    try {
      isDir = statSync(this.path).isDirectory();
    } catch {
      // missing for now: the poll notices when it appears
    }
    try {
      if (isDir) this.watcher = watch(this.path, { recursive: true, persistent: false }, () => this.changed());
      else {
        // Watch the folder, not the file: a file replaced by rename would end a file watch.
        const name = basename(this.path);
        this.watcher = watch(dirname(this.path), { persistent: false }, (_e, f) => {
          if (f === null || f === name) this.changed();
        });
      }
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = null;
      });
    } catch {
      this.watcher = null; // the poll carries on alone
    }
    const every = this.o.pollMs ?? 1000;
    if (every > 0) {
      this.poll = setInterval(() => {
        if (fingerprint(this.path) !== this.last) this.changed();
      }, every);
      this.poll.unref();
    }
  }

  private changed(): void {
    if (this.closed) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.closed) return;
      const now = fingerprint(this.path);
      // A watch event with no change on disk (e.g. an atime touch) is not a reload.
      if (now === this.last) return;
      this.last = now;
      this.onChange();
    }, this.o.debounceMs ?? 100);
    this.timer.unref();
  }

  close(): void {
    this.closed = true;
    this.watcher?.close();
    this.watcher = null;
    if (this.poll !== null) clearInterval(this.poll);
    if (this.timer !== null) clearTimeout(this.timer);
  }
}
