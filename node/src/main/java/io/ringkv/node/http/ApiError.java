package io.ringkv.node.http;

/**
 * A client error with its HTTP status, a stable machine-readable name and a human-readable detail;
 * answered as {@code {"error": name, "detail": detail}}.
 */
final class ApiError extends RuntimeException {

    final int status;
    final String error;
    final Object detail;

    ApiError(int status, String error, Object detail) {
        super(error + ": " + detail, null, false, false);
        this.status = status;
        this.error = error;
        this.detail = detail;
    }

    static ApiError badRequest(String error, String detail) {
        return new ApiError(400, error, detail);
    }
}
