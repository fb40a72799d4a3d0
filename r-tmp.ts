import { rehearse } from "./src/cutover/rehearsal/rehearse";
import { parseScenario, readScenario } from "./src/cutover/rehearsal/scenario";
const arg = process.argv[2];
const sc = arg.endsWith(".yaml") ? readScenario(arg) : parseScenario(require("fs").readFileSync(arg, "utf8"));
rehearse(sc, { human: (l) => console.log(l) }).then((r) => console.log(r.status, r.exitCode, JSON.stringify(r.finalWeights), r.elapsedMs / 60000));
