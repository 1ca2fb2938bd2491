certificates issuer-chi-bo-no-superior.yaml -o @OUT@/issuer-chi-bo-no-superior.pdf
