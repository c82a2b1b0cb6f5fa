# Settings the services and tests read, for the local PostgreSQL and RabbitMQ of deploy/infra.sh.
# Already-set values win, so another environment can point elsewhere.
export ConnectionStrings__Platform="${ConnectionStrings__Platform:-Host=127.0.0.1;Port=5432;Database=recovery;Username=recovery;Password=recovery}"
export RabbitMq__Host="${RabbitMq__Host:-127.0.0.1}"
export RabbitMq__VirtualHost="${RabbitMq__VirtualHost:-recovery}"
export RabbitMq__Username="${RabbitMq__Username:-recovery}"
export RabbitMq__Password="${RabbitMq__Password:-recovery}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
