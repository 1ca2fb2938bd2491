certificates -l form-layout-bad.layout.yaml form-not-in-layout.yaml -o @OUT@/form-layout-bad.pdf
