certificates minutes-award-once.yaml -o @OUT@/minutes-award-once.pdf
