/** The colors' colors, the same in the report and on the CloudWatch dashboard. Pure data. */
import type { Color } from "../config/colors";

export const COLOR_HEX: Record<Color, string> = { blue: "#1f6feb", green: "#2da44e" };
