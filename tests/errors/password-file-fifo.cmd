certificates @IN@/a.yaml --backend haru --password-file @IN@/mat-khau.txt -o @OUT@/giay-khen.pdf
