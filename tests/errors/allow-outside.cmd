certificates --allow-outside outside-dotdot.yaml -o @OUT@/giay-khen.pdf
