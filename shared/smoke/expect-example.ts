/** A realistic `expect`, for messages (its own module: input parsing need not load the checker). */
export const EXPECT_EXAMPLE =
  'expect: {"outputs": {"probabilities": [0.93, 0.05, 0.02]}, "abs": 1e-4}';
