import { adviseRoutes } from "./advise.js";
import { auditRoutes } from "./audits.js";
import { healthRoutes } from "./health.js";
import { k8sRoutes } from "./k8s.js";
import { placeRoutes } from "./place.js";
import { planRoutes } from "./plan.js";
import { scoreRoutes } from "./score.js";
import { simulateRoutes } from "./simulate.js";
import type { RouteModule } from "./types.js";

/** ROUTES: every route module of the service, in the order the OpenAPI document lists them. */
export const ROUTES: readonly RouteModule[] = [simulateRoutes, scoreRoutes, placeRoutes, planRoutes, adviseRoutes, k8sRoutes, auditRoutes, healthRoutes];
