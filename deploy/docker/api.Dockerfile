# ActorChat front end in client mode. Build from the repository root: docker build -f deploy/docker/api.Dockerfile -t actorchat/api .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish api/ActorChat.Api/ActorChat.Api.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl for the health checks only.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
USER $APP_UID
ENV ASPNETCORE_URLS=http://+:8080 \
    ActorChat__Hosting__Mode=Client \
    ActorChat__Cluster__Membership=Redis
EXPOSE 8080
ENTRYPOINT ["dotnet", "ActorChat.Api.dll"]
