export { bundledPredictor, loadCluster } from "../helpers/fixtures.js";
