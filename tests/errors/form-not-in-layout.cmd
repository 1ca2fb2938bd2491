certificates -l giay-khen-phoi form-not-in-layout.yaml -o @OUT@/form-not-in-layout.pdf
