/**
 * The servlet adapter of the transport-neutral HTTP services ({@link dev.switchboard.http.HttpService}):
 * {@link dev.switchboard.http.servlet.HttpServiceServlet}. Needs the Jakarta Servlet 6 API on the class
 * path, which every servlet container provides; core itself only compiles against it.
 *
 * <p>Nullability: parameters and return values are non-null unless documented otherwise.
 */
package dev.switchboard.http.servlet;
