#!/usr/bin/env bash
# Copies the front-end libraries installed by npm (pinned in package-lock.json) into the
# static folder, so pages load them from this server and never from a CDN.
set -euo pipefail
src=$1
dst=$2
rm -rf "$dst"
mkdir -p "$dst"/{bootstrap,htmx,echarts,leaflet,leaflet.markercluster,html-to-image}
cp "$src"/bootstrap/dist/css/bootstrap.min.css "$src"/bootstrap/dist/css/bootstrap.min.css.map "$dst"/bootstrap/
cp "$src"/bootstrap/dist/js/bootstrap.bundle.min.js "$src"/bootstrap/dist/js/bootstrap.bundle.min.js.map "$dst"/bootstrap/
cp "$src"/htmx.org/dist/htmx.min.js "$dst"/htmx/
cp "$src"/echarts/dist/echarts.min.js "$dst"/echarts/
cp "$src"/html-to-image/dist/html-to-image.js "$dst"/html-to-image/
cp -r "$src"/leaflet/dist/leaflet.js "$src"/leaflet/dist/leaflet.js.map "$src"/leaflet/dist/leaflet.css \
  "$src"/leaflet/dist/images "$dst"/leaflet/
cp "$src"/leaflet.markercluster/dist/leaflet.markercluster.js \
  "$src"/leaflet.markercluster/dist/leaflet.markercluster.js.map \
  "$src"/leaflet.markercluster/dist/MarkerCluster.css \
  "$src"/leaflet.markercluster/dist/MarkerCluster.Default.css "$dst"/leaflet.markercluster/
