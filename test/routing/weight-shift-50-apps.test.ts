/**
 * The staged cutover at scale: 50 apps (every fifth with a path), through the first step, to all
 * green, one step back and all the way back, and the one-step cutover and rollback. 50/50 adds
 * nothing at this scale that 90/10 does not (both colors weighted); the one-app file has it.
 */
import { describeAlbWeightShift } from "./weight-shift-alb";

const STAGES = [
    { blue: 100, green: 0 },
    { blue: 90, green: 10 },
    { blue: 0, green: 100 },
];

describeAlbWeightShift(50, true, STAGES, [[0, 1], [1, 2], [2, 1], [1, 0], [2, 0], [0, 2]]);
