#!/usr/bin/env bash
# A font with Chinese glyphs for the charts of the Word packs (vanguard.core.charts).
# Installs WenQuanYi Zen Hei through apt-get when none is present and this runs as root;
# otherwise says what to install. Never fails the setup: charts then show boxes.
set -u
if fc-list :lang=zh 2>/dev/null | grep -q .; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing a Chinese font for document charts (fonts-wqy-zenhei)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    fonts-wqy-zenhei fontconfig >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive \
         apt-get install -y -qq --no-install-recommends fonts-wqy-zenhei fontconfig >/dev/null 2>&1; } \
    || echo "could not install fonts-wqy-zenhei: chart labels in Word packs will show boxes"
else
  echo "no Chinese font found: install fonts-wqy-zenhei (or any CJK font) for chart labels in Word packs"
fi
exit 0
