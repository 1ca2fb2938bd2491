certificates -l ornament-bad.layout.yaml ../cases/award-forms/records.yaml -o @OUT@/ornament-bad.pdf
