minutes -l minutes-unknown-style.layout.yaml minutes-no-speaker.yaml -o @OUT@/minutes-unknown-style.pdf
