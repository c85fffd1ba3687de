// A delivery thread's first module (lib/delivery/threads.ts). A thread does not inherit the
// process's --import hooks, so it registers tsx's before it loads its TypeScript entry; both are
// resolved from this file, whatever the working directory.
import { register } from "tsx/esm/api";

register();
await import(new URL("./thread-entry.ts", import.meta.url).href);
