#!/bin/sh
# POST {"features": [sepal length, sepal width, petal length, petal width]}
# → {"model_version": "…", "probabilities": [setosa, versicolor, virginica]}: softmax(W·x + b).
body=$(busybox head -c "${CONTENT_LENGTH:-0}")
printf 'Content-Type: application/json\r\n\r\n'
# Debian's busybox awk has no math library: exp() by halving, a Taylor series, then squaring back.
busybox awk -v body="$body" -v weights="$MODEL_PATH/weights.txt" -v version="$MODEL_VERSION" '
function expo(x,   k, term, sum, i) {
  k = 0; while (x < -0.5 || x > 0.5) { x /= 2; k++ }
  term = 1; sum = 1; for (i = 1; i < 20; i++) { term *= x / i; sum += term }
  while (k-- > 0) sum *= sum
  return sum
}
BEGIN {
  n = 0; s = body
  while (match(s, /-?[0-9]+(\.[0-9]+)?/)) { x[n++] = substr(s, RSTART, RLENGTH) + 0; s = substr(s, RSTART + RLENGTH) }
  k = 0
  while ((getline line < weights) > 0) { split(line, w, " "); l[k] = w[5]; for (i = 1; i <= 4; i++) l[k] += w[i] * x[i - 1]; k++ }
  m = l[0]; for (i = 1; i < k; i++) if (l[i] > m) m = l[i]
  t = 0; for (i = 0; i < k; i++) { e[i] = expo(l[i] - m); t += e[i] }
  printf "{\"model_version\": \"%s\", \"probabilities\": [", version
  for (i = 0; i < k; i++) printf "%s%.9f", (i ? ", " : ""), e[i] / t
  print "]}"
}'
