import { healthRoutes } from "./health.js";
import { scoreRoutes } from "./score.js";
import { simulateRoutes } from "./simulate.js";
import type { RouteModule } from "./types.js";

/** ROUTES: every route module of the service, in the order the OpenAPI document lists them. */
export const ROUTES: readonly RouteModule[] = [simulateRoutes, scoreRoutes, healthRoutes];
