#!/usr/bin/env bash
# scripts/make-photos.sh - draws the photos of the bulletin samples
# (samples/ban-tin/anh/) with ImageMagick: simple scenes of ward events, as
# JPEG (embedded in the PDF as they are) and PNG with transparency. Nothing is
# downloaded; the drawings are deterministic (fixed shapes, no randomness).
# Each scene is written as ImageMagick MVG drawing commands.
# Usage: bash scripts/make-photos.sh [OUTDIR]
set -eu
out=${1:-samples/ban-tin/anh}
mkdir -p "$out"
command -v convert >/dev/null ||
  { echo "make-photos: ImageMagick 'convert' is missing (bash scripts/install-deps.sh)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

people() { # W Y0 N COLOUR...: a row of N people standing (body, head, hair)
  local w=$1 y0=$2 n=$3; shift 3
  local cols=("$@") i x
  for ((i = 0; i < n; i++)); do
    x=$(( (w * (2 * i + 1)) / (2 * n) ))
    echo "fill ${cols[$(( i % ${#cols[@]} ))]}"
    echo "roundrectangle $((x - 34)),$y0 $((x + 34)),$((y0 + 190)) 14,14"
    echo "fill #e8c39e"; echo "circle $x,$((y0 - 30)) $((x + 26)),$((y0 - 30))"
    echo "fill #2b2118"; echo "ellipse $x,$((y0 - 42)) 27,14 180,360"
  done
}

audience() { # W Y ROWS: heads and shoulders seen from behind
  local w=$1 y=$2 rows=$3 r i x
  for ((r = 0; r < rows; r++)); do
    for ((i = 0; i < 16; i++)); do
      x=$(( 20 + i * (w - 40) / 15 + (r % 2) * 18 ))
      if (( (i + r) % 3 == 0 )); then echo "fill #3a2a20"; else echo "fill #1f1a17"; fi
      echo "circle $x,$((y + r * 46)) $((x + 22 + r * 2)),$((y + r * 46))"
      if (( i % 2 == 0 )); then echo "fill #f2f2f2"; else echo "fill #3b5b92"; fi
      echo "rectangle $((x - 30)),$((y + r * 46 + 18)) $((x + 30)),$((y + r * 46 + 60))"
    done
  done
}

star() { # CX CY R COLOUR: a five-pointed star
  awk -v cx="$1" -v cy="$2" -v r="$3" -v c="$4" 'BEGIN {
    printf "fill %s\npolygon", c
    for (k = 0; k < 10; k++) { a = -3.14159265 / 2 + k * 3.14159265 / 5; rr = (k % 2) ? r * 0.4 : r
      printf " %.1f,%.1f", cx + rr * cos(a), cy + rr * sin(a) }
    printf "\n" }'
}

jpeg() { # NAME W H BACKGROUND < MVG
  cat >"$tmp/$1.mvg"
  convert -size "$2x$3" "$4" -draw "$(cat "$tmp/$1.mvg")" -strip -quality 86 \
    -sampling-factor 2x2 "$out/$1.jpg"
}

png() { # NAME W H < MVG: transparent background
  cat >"$tmp/$1.mvg"
  convert -size "$2x$3" xc:none -draw "$(cat "$tmp/$1.mvg")" -strip "PNG32:$out/$1.png"
}

{ # 1. hall: stage, banner, audience
  echo "fill #b3261e"; echo "rectangle 120,60 1080,300"
  star 600 150 60 '#ffd21f'
  echo "fill #ffd21f"; echo "rectangle 260,235 940,255"
  echo "fill #6b3e1f"; echo "rectangle 0,330 1200,380"
  echo "fill #7a4a27"; echo "rectangle 540,250 660,380"
  audience 1200 470 7
} | jpeg hoi-truong 1200 800 "gradient:#f3e6c8-#d9c3a0"

{ # 2. badge ceremony: people with flowers before a red backdrop
  echo "fill #ffd21f"; echo "rectangle 150,70 1050,100"; echo "rectangle 300,130 900,150"
  star 110 120 45 '#ffd21f'
  echo "fill #8d8d8d"; echo "rectangle 0,640 1200,800"
  people 1200 360 6 '#f4f4f4' '#1e3a6e' '#f4f4f4' '#5a2d82' '#f4f4f4' '#1e3a6e'
  echo "fill #e63946"
  for x in 200 600 1000; do echo "circle $x,430 $((x + 30)),430"; done
  echo "fill #2a9d8f"
  for x in 200 600 1000; do echo "rectangle $((x - 5)),455 $((x + 5)),520"; done
} | jpeg trao-huy-hieu 1200 800 "xc:#c8352b"

{ # 3. a speaker at the podium
  echo "fill #b3261e"; echo "rectangle 60,40 940,200"
  echo "fill #ffd21f"; echo "rectangle 140,90 860,115"; echo "rectangle 240,140 760,160"
  people 1000 330 1 '#f5f5f5'
  echo "fill #6b3e1f"; echo "polygon 360,460 640,460 610,750 390,750"
  star 500 580 45 '#ffd21f'
  echo "stroke #222222"; echo "stroke-width 6"; echo "line 470,460 520,330"
} | jpeg phat-bieu 1000 750 "gradient:#2f4f7f-#15243d"

{ # 4. signing the pledge at a long table
  echo "fill #b3261e"; echo "rectangle 100,30 1100,150"
  echo "fill #ffd21f"; echo "rectangle 200,75 1000,100"
  people 1200 260 5 '#f4f4f4' '#24467a' '#f4f4f4' '#24467a' '#f4f4f4'
  echo "fill #2e5d34"; echo "rectangle 0,430 1200,700"
  echo "fill #ffffff"
  for x in 90 330 570 810 1040; do echo "rectangle $x,470 $((x + 130)),560"; done
} | jpeg ky-cam-ket 1200 700 "gradient:#f0ebe0-#cfc6b3"

{ # 5. a street cleaned by residents
  echo "fill #5b5b5b"; echo "polygon 0,800 1200,800 760,420 440,420"
  echo "fill #cfcfcf"; echo "polygon 0,800 120,800 470,420 440,420"
  echo "polygon 1080,800 1200,800 760,420 730,420"
  echo "fill #2f7d32"; echo "circle 140,330 250,330"; echo "circle 1060,330 1170,330"
  echo "circle 360,380 420,380"; echo "circle 850,380 910,380"
  echo "fill #6b3e1f"; echo "rectangle 125,400 155,560"; echo "rectangle 1045,400 1075,560"
  people 1200 520 4 '#2a9d8f' '#e76f51' '#2a9d8f' '#e9c46a'
} | jpeg ve-sinh 1200 800 "gradient:#9fd3f5-#e9f6fd"

{ # 6. a bar chart on a translucent card (PNG with alpha)
  echo "fill #ffffffb0"; echo "roundrectangle 10,10 890,590 30,30"
  echo "fill #b3261e"
  echo "rectangle 140,300 240,520"; echo "rectangle 330,220 430,520"
  echo "rectangle 520,160 620,520"; echo "rectangle 710,90 810,520"
  echo "fill #17365d80"
  echo "rectangle 240,360 290,520"; echo "rectangle 430,300 480,520"
  echo "rectangle 620,250 670,520"; echo "rectangle 810,200 850,520"
  echo "stroke #333333"; echo "stroke-width 3"; echo "line 90,520 860,520"; echo "line 90,520 90,60"
} | png bieu-do 900 600

{ # 7. a badge (PNG with alpha)
  echo "fill #c9a227"; echo "circle 300,300 300,40"
  echo "fill #b3261e"; echo "circle 300,300 300,75"
  star 300 300 190 '#ffd21f'
} | png huy-hieu 600 600

{ # 8. a legal education session: a board with an article of law, residents seated
  echo "fill #1d4d3a"; echo "rectangle 80,50 860,330"
  echo "fill #f2f2f2"
  for y in 100 150 200 250; do echo "rectangle 130,$y $((700 + (y % 100))),$((y + 14))"; done
  echo "fill #ffd21f"; echo "rectangle 130,290 420,304"
  people 2200 260 1 '#f5f5f5'
  echo "fill #8b5a2b"; echo "rectangle 0,560 1500,600"
  audience 1500 640 4
} | jpeg phap-luat 1500 900 "gradient:#efe7d6-#cbbd9f"

{ # 9. visiting a retired teacher: flowers handed over in a living room (wide scene)
  echo "fill #a3c4dc"; echo "rectangle 1180,80 1520,360"
  echo "stroke #ffffff"; echo "stroke-width 8"; echo "line 1350,80 1350,360"; echo "line 1180,220 1520,220"
  echo "stroke none"
  echo "fill #b3261e"; echo "rectangle 120,90 520,300"
  star 320 195 70 '#ffd21f'
  echo "fill #7b4b2a"; echo "rectangle 0,600 1600,700"
  people 1600 330 5 '#f4f4f4' '#1e3a6e' '#9c2f2f' '#f4f4f4' '#2e5d34'
  echo "fill #e63946"; echo "circle 800,420 840,420"; echo "circle 760,440 790,440"
  echo "fill #f4a261"; echo "circle 835,450 862,450"
  echo "fill #2a9d8f"; echo "rectangle 795,460 805,560"
} | jpeg tham-nha-giao 1600 700 "gradient:#f6eddc-#dcc9a6"

echo "make-photos: wrote $(ls "$out" | wc -l) images in $out"
