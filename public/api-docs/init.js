// Starts Swagger UI on the shop's own OpenAPI document (a file, not inline: the CSP allows no inline script).
window.addEventListener("load", function () {
  document.getElementById("api-docs-fallback").hidden = true;
  window.ui = SwaggerUIBundle({
    url: "/api/v1/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    tryItOutEnabled: true,
  });
});
