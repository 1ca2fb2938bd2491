certificates missing-emblem.yaml -o @OUT@/missing-emblem.pdf
