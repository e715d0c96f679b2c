# ActorChat silo. Build from the repository root: docker build -f deploy/docker/silo.Dockerfile -t actorchat/silo .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish silo/ActorChat.Silo/ActorChat.Silo.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl for the health checks only.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
# The image's unprivileged user; nothing here needs root.
USER $APP_UID
ENV ASPNETCORE_URLS=http://+:8080 \
    ActorChat__Cluster__Membership=Redis \
    ActorChat__Storage__Provider=Redis \
    ActorChat__Cluster__SiloPort=11111 \
    ActorChat__Cluster__GatewayPort=30000
EXPOSE 8080 11111 30000
ENTRYPOINT ["dotnet", "ActorChat.Silo.dll"]
