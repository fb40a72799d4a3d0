/**
 * The staged cutover as the plan diff sees it, one app: every change of weights, forward and back
 * through every stage, updates only the weighted listener rules, in place. Protect flags follow the
 * weights too; they are resource options (no update of the resource) and shown apart.
 */
import { STAGES, TRANSITIONS } from "./weight-shift-helpers";
import { describeAlbWeightShift } from "./weight-shift-alb";

describeAlbWeightShift(1, false, STAGES, TRANSITIONS);
