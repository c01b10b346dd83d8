{
  "targets": [
    {
      "target_name": "exitgym_blas",
      "sources": ["blas.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "libraries": ["-lopenblas"]
    }
  ]
}
