#!/usr/bin/env bash
# Install the Debian packages anklesleep uses, when they are missing.
#   run  - what the app itself uses (voices for spoken guidance: Festival's HTS voice, the most
#          natural, and espeak-ng, the fallback; PortAudio for the terminal's sound)
#   test - everything the test suite drives: the voices, the three browser engines (Chromium,
#          WebKitGTK's WebDriver under Xvfb, Firefox ESR), ffmpeg, sox, tmux, PostgreSQL, and
#          Noto CJK (Japanese text in screenshots, charts and the printable sheet)
# Without root (or apt-get) it only lists what is missing; the features that need a missing
# tool report it once and carry on, and the tests that need it are skipped.
set -uo pipefail
mode=${1:-run}
declare -A want=( [espeak-ng]=espeak-ng [libportaudio.so.2]=libportaudio2
                  [text2wave]=festival
                  [/usr/share/festival/voices/us/cmu_us_slt_arctic_hts]=festvox-us-slt-hts )
libraries=()
if [ "$mode" = test ]; then
  want+=( [chromium]=chromium [ffmpeg]=ffmpeg [sox]=sox [tmux]=tmux
          [/usr/lib/postgresql]=postgresql [fc-list]=fonts-dejavu-core
          [/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc]=fonts-noto-cjk
          [WebKitWebDriver]=webkit2gtk-driver [Xvfb]=xvfb [firefox-esr]=firefox-esr )
  # WebKitGTK plays audio through GStreamer: Ogg/Opus (base) and MP3 (good)
  libraries=( gstreamer1.0-plugins-base gstreamer1.0-plugins-good )
fi
missing=()
for package in "${libraries[@]:-}"; do
  [ -z "$package" ] && continue
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
for tool in "${!want[@]}"; do
  if [[ $tool == /* ]]; then
    [ -e "$tool" ] || missing+=("${want[$tool]}")
  elif [[ $tool == *.so.* ]]; then
    ldconfig -p 2>/dev/null | grep -qF "$tool" || missing+=("${want[$tool]}")
  else
    command -v "$tool" >/dev/null 2>&1 || missing+=("${want[$tool]}")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages: ${missing[*]}" >&2
  apt-get update -qq || { echo "apt-get update failed" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { echo "apt-get install ${missing[*]} failed" >&2; exit 1; }
else
  echo "note: missing system packages (${missing[*]}); run as root or install them to enable every feature" >&2
fi
exit 0
