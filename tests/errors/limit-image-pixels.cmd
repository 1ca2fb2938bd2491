certificates limit-image.yaml --limit image-pixels=4000 -o @OUT@/limit-image-pixels.pdf
