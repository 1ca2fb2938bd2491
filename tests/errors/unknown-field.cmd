certificates unknown-field.yaml -o @OUT@/unknown-field.pdf
