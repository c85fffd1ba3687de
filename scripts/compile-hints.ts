// `npm run build`'s last step: V8's compile hint on the chunks pages load (scripts/lib/compile-hints.ts).
import path from "node:path";
import { repoRoot } from "./lib/build";
import { addCompileHints } from "./lib/compile-hints";

const changed = addCompileHints(path.join(repoRoot, ".next"));
console.log(`[compile-hints] ${changed.length} startup chunks marked //# allFunctionsCalledOnLoad`);
