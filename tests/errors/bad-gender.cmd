certificates bad-gender.yaml -o @OUT@/bad-gender.pdf
