certificates issuer-chi-bo-co-so.yaml -o @OUT@/issuer-chi-bo-co-so.pdf
