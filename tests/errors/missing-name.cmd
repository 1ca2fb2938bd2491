certificates missing-name.yaml -o @OUT@/missing-name.pdf
