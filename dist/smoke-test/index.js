// The smoke-test action: the bundle of all four, told which by this file's folder.
import '../actions/index.js';
