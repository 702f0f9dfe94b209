// Node-only: where the shipped weights live, without loading tfjs (the game server's main thread
// needs the paths, not the models).
export const SHIPPED_CLASSIFIER_DIR = "model/weights/classifier";
