# syntax=docker/dockerfile:1
# Build: docker build -t replydrafter .
# Run:   see README "Docker" (compose file with Ollama beside it). The vault is mounted at /vault and must be
#        writable by the image's non-root user (UID 1654, the .NET images' "app" user).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ReplyDrafter.sln appsettings.json ./
COPY src/ReplyDrafter/ReplyDrafter.csproj src/ReplyDrafter/
RUN dotnet restore src/ReplyDrafter/ReplyDrafter.csproj
COPY prompts/ prompts/
COPY src/ src/
RUN dotnet publish src/ReplyDrafter/ReplyDrafter.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/runtime:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The vault is the only state; logs go to /vault/.replydrafter/logs. Settings: environment variables, the vault's
# .replydrafter/settings.json, or /home/app/.config/replydrafter/settings.json; secrets as files, e.g.
# ReplyDrafter__Llm__ApiKeyFile=/run/secrets/llm_api_key.
VOLUME ["/vault"]
ENV DOTNET_ENVIRONMENT=Production \
    DOTNET_NOLOGO=1 \
    ReplyDrafter__Vault=/vault
# Never root: the non-root "app" user the .NET images ship ($APP_UID is 1654).
USER $APP_UID
# Healthy while 'status' can read the settings and the vault (exit 0); a settings problem is exit 2. The probe's own
# timeout is kept below the check's.
HEALTHCHECK --interval=60s --timeout=30s --start-period=30s --retries=3 \
    CMD ["dotnet", "/app/replydrafter.dll", "status", "--json", "--ReplyDrafter:Llm:AttemptTimeout=00:00:15"]
ENTRYPOINT ["dotnet", "/app/replydrafter.dll"]
CMD ["run"]
