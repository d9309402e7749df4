# The model server: busybox httpd with predict.sh as a CGI script.
# A malformed weights file stops it here, as a real server fails to load a bad model.
set -e
weights="$MODEL_PATH/weights.txt"
if ! busybox awk 'NF != 5 { printf "%s line %d: expected 4 weights and a bias, found %d numbers\n", FILENAME, NR, NF; bad = 1 } END { exit bad }' "$weights" >&2; then
  echo "cannot load model $MODEL_NAME version $MODEL_VERSION" >&2
  exit 1
fi
mkdir -p /tmp/www/cgi-bin
busybox cp "$MODEL_PATH/predict.sh" /tmp/www/cgi-bin/predict
busybox chmod 755 /tmp/www/cgi-bin/predict
echo ok > /tmp/www/health
echo "serving $MODEL_NAME version $MODEL_VERSION on :8080" >&2
exec httpd -f -p 8080 -h /tmp/www
