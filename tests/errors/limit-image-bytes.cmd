certificates limit-image.yaml --limit image-bytes=98 -o @OUT@/limit-image-bytes.pdf
