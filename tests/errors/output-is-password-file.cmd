certificates @IN@/a.yaml --backend haru --password-file @IN@/mat-khau.txt -o @IN@/pw-link
