/*
 * exitgym's optional native matmul: single-precision GEMM from the system BLAS (OpenBLAS), called
 * on tensors that live in the tfjs wasm backend's heap (a WebAssembly.Memory's ArrayBuffer) or in
 * any other ArrayBuffer, with no copy. Why: tfjs-backend-wasm's XNNPACK build is SIMD128 without
 * FMA and one thread, 10-21 GFLOP/s here, while the learner's time is two thirds matmuls.
 *
 * Every offset and size is checked against the buffer before BLAS touches it: a bad call throws a
 * RangeError in JavaScript, never writes outside the buffer.
 */
#include <node_api.h>
#include <cblas.h>
#include <stdint.h>
#include <stdio.h>

#define CHECK(call)                                                          \
  do {                                                                       \
    if ((call) != napi_ok) {                                                 \
      napi_throw_error(env, NULL, "exitgym_blas: N-API call failed: " #call); \
      return NULL;                                                           \
    }                                                                        \
  } while (0)

static int get_i64(napi_env env, napi_value v, int64_t *out, const char *name) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok || d != d || d < 0 || d > 9007199254740991.0 || d != (double)(int64_t)d) {
    char msg[160];
    snprintf(msg, sizeof msg, "exitgym_blas.sgemm: %s must be a non-negative integer", name);
    napi_throw_range_error(env, NULL, msg);
    return 0;
  }
  *out = (int64_t)d;
  return 1;
}

/* Bytes spanned by `batch` items of `rows` x `cols` floats starting at byte `off`, `stride` floats
 * apart (stride 0: one item shared by every batch entry). Returns 0 when it leaves [0, len). */
static int fits(int64_t off, int64_t batch, int64_t stride, int64_t rows, int64_t cols, size_t len) {
  if (off % 4 != 0) return 0;
  const int64_t item = rows * cols;
  const int64_t last = (batch > 0 ? (batch - 1) * stride : 0) + item;
  if (rows > (int64_t)1 << 31 || cols > (int64_t)1 << 31 || last < 0) return 0;
  return off >= 0 && (uint64_t)off + (uint64_t)last * 4 <= (uint64_t)len;
}

/*
 * sgemm(buffer, aOffset, bOffset, cOffset, batch, m, n, k, transA, transB, strideA, strideB)
 * For i < batch: C[i] (m x n) = op(A[i]) (m x k) * op(B[i]) (k x n), row-major, where A[i] starts at
 * aOffset + 4*i*strideA bytes (stride in floats; 0 broadcasts one matrix), likewise B; C is dense.
 */
static napi_value sgemm(napi_env env, napi_callback_info info) {
  size_t argc = 12;
  napi_value argv[12];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 12) {
    napi_throw_type_error(env, NULL, "exitgym_blas.sgemm takes 12 arguments (buffer, aOffset, bOffset, cOffset, batch, m, n, k, transA, transB, strideA, strideB)");
    return NULL;
  }
  void *data;
  size_t len;
  bool is_ab;
  CHECK(napi_is_arraybuffer(env, argv[0], &is_ab));
  if (!is_ab) {
    napi_throw_type_error(env, NULL, "exitgym_blas.sgemm: the first argument must be an ArrayBuffer");
    return NULL;
  }
  CHECK(napi_get_arraybuffer_info(env, argv[0], &data, &len));
  static const char *names[] = {"aOffset", "bOffset", "cOffset", "batch", "m", "n", "k"};
  int64_t v[7];
  for (int i = 0; i < 7; i++)
    if (!get_i64(env, argv[i + 1], &v[i], names[i])) return NULL;
  bool ta, tb;
  CHECK(napi_get_value_bool(env, argv[8], &ta));
  CHECK(napi_get_value_bool(env, argv[9], &tb));
  int64_t sa, sb;
  if (!get_i64(env, argv[10], &sa, "strideA") || !get_i64(env, argv[11], &sb, "strideB")) return NULL;
  const int64_t aoff = v[0], boff = v[1], coff = v[2], batch = v[3], m = v[4], n = v[5], k = v[6];
  if (m == 0 || n == 0 || batch == 0) return NULL;
  if (k == 0 || !fits(aoff, batch, sa, m, k, len) || !fits(boff, batch, sb, k, n, len) || !fits(coff, batch, m * n, m, n, len)) {
    napi_throw_range_error(env, NULL, "exitgym_blas.sgemm: an operand lies outside the buffer (or k is 0)");
    return NULL;
  }
  char *base = (char *)data;
  for (int64_t i = 0; i < batch; i++) {
    const float *a = (const float *)(base + aoff) + i * sa;
    const float *b = (const float *)(base + boff) + i * sb;
    float *c = (float *)(base + coff) + i * m * n;
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k, 1.0f, a,
                ta ? (int)m : (int)k, b, tb ? (int)k : (int)n, 0.0f, c, (int)n);
  }
  return NULL;
}

/* setThreads(n): OpenBLAS's thread count for later calls. */
static napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int64_t n;
  if (argc != 1 || !get_i64(env, argv[0], &n, "threads")) return NULL;
  if (n < 1 || n > 1024) {
    napi_throw_range_error(env, NULL, "exitgym_blas.setThreads: threads must be 1..1024");
    return NULL;
  }
  openblas_set_num_threads((int)n);
  return NULL;
}

/* info(): { config, threads } of the BLAS this addon was linked against. */
static napi_value blas_info(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value obj, config, threads;
  CHECK(napi_create_object(env, &obj));
  CHECK(napi_create_string_utf8(env, openblas_get_config(), NAPI_AUTO_LENGTH, &config));
  CHECK(napi_create_int32(env, openblas_get_num_threads(), &threads));
  CHECK(napi_set_named_property(env, obj, "config", config));
  CHECK(napi_set_named_property(env, obj, "threads", threads));
  return obj;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"sgemm", NULL, sgemm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"info", NULL, blas_info, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  CHECK(napi_define_properties(env, exports, 3, props));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
