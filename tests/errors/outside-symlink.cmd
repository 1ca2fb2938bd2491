certificates @IN@/outside-symlink.yaml -o @OUT@/giay-khen.pdf
