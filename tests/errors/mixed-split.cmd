certificates bad-gender.yaml -o '@OUT@/out/{stt}-{ten}.pdf'
