certificates --fail-fast too-long-name.yaml -o '@OUT@/out/{stt}-{ten}.pdf'
