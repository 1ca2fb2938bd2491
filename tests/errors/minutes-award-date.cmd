minutes minutes-award-once.yaml -o @OUT@/minutes-award-date.pdf
