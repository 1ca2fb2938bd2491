minutes minutes-no-speaker.yaml -o @OUT@/minutes-no-speaker.pdf
