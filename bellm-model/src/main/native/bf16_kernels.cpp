// BF16 projections on DJL's PyTorch tensors, for ai.bellm.model.Bf16Kernels.
//
// DJL 0.36's JNI has no BF16 dtype, so Java never sees a BF16 tensor: it hands over F32 tensors by their handles (a
// torch::Tensor* each, as DJL's JNI keeps them) and gets F32 results back. Only the weights live in BF16, as
// [out, in] like nn.Linear's: at::linear then runs oneDNN's BF16 GEMM on the CPU's matrix units (AMX where present).
#include <jni.h>

#include <ATen/ATen.h>
#include <c10/core/GradMode.h>

#include <exception>

namespace {

at::Tensor& tensor(jlong handle) { return *reinterpret_cast<at::Tensor*>(handle); }

jlong handleOf(at::Tensor&& t) { return reinterpret_cast<jlong>(new at::Tensor(std::move(t))); }

// Runs body, turning a C++ exception into a Java IllegalStateException (0 returned to the caller, which throws).
template <typename Body>
jlong guarded(JNIEnv* env, Body body) {
  try {
    return body();
  } catch (const std::exception& e) {
    env->ThrowNew(env->FindClass("java/lang/IllegalStateException"), e.what());
    return 0;
  }
}

}  // namespace

extern "C" {

JNIEXPORT jlong JNICALL Java_ai_bellm_model_Bf16Kernels_toBf16OutIn(JNIEnv* env, jclass, jlong weightInOut) {
  return guarded(env, [&] {
    c10::NoGradGuard noGrad;
    return handleOf(tensor(weightInOut).t().to(at::kBFloat16).contiguous());
  });
}

JNIEXPORT jlong JNICALL Java_ai_bellm_model_Bf16Kernels_linear(JNIEnv* env, jclass, jlong x, jlong weightOutIn,
                                                               jlong biasOrZero) {
  return guarded(env, [&] {
    c10::NoGradGuard noGrad;
    at::Tensor y = at::linear(tensor(x).to(at::kBFloat16), tensor(weightOutIn)).to(at::kFloat);
    if (biasOrZero != 0) {
      y.add_(tensor(biasOrZero));  // in F32: a bias rounded to BF16 would shift every output by up to 0.4 %
    }
    return handleOf(std::move(y));
  });
}

JNIEXPORT void JNICALL Java_ai_bellm_model_Bf16Kernels_free(JNIEnv*, jclass, jlong handle) {
  delete reinterpret_cast<at::Tensor*>(handle);
}

}  // extern "C"
