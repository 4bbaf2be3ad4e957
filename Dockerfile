# syntax=docker/dockerfile:1
# Build: docker build -t replydrafter .
# Run:   docker run -d --name replydrafter -v /path/to/vault:/vault \
#          -e ReplyDrafter__Me__Name="Ada Lovelace" -e ReplyDrafter__Me__Email=ada@example.com \
#          -e ReplyDrafter__Llm__Endpoint=http://host.docker.internal:11434/v1 replydrafter

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
# The vault is the only state; logs go to /vault/.replydrafter/logs.
VOLUME ["/vault"]
ENV DOTNET_ENVIRONMENT=Production \
    ReplyDrafter__Vault=/vault
USER $APP_UID
ENTRYPOINT ["dotnet", "replydrafter.dll"]
CMD ["run"]
