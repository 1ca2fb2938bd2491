certificates $'ds\e]0;x\a\e[2J.yaml' -o @OUT@/giay-khen.pdf
