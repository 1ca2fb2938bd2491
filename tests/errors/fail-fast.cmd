certificates --fail-fast bad-gender.yaml -o @OUT@/fail-fast.pdf
