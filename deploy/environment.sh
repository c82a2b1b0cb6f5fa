# Settings the services and tests read, for the local PostgreSQL and RabbitMQ of deploy/infra.sh.
# Already-set values win, so another environment can point elsewhere.
export ConnectionStrings__Platform="${ConnectionStrings__Platform:-Host=127.0.0.1;Port=5432;Database=recovery;Username=recovery;Password=recovery}"
export RabbitMq__Host="${RabbitMq__Host:-127.0.0.1}"
export RabbitMq__VirtualHost="${RabbitMq__VirtualHost:-recovery}"
export RabbitMq__Username="${RabbitMq__Username:-recovery}"
export RabbitMq__Password="${RabbitMq__Password:-recovery}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Keys this deployment keeps secret: the token signing key, the key that wraps each patient's personal-data key,
# and the key of analysts' pseudonyms. Made once per checkout under deploy/.run/ (not in git); losing the master
# key makes every sealed personal field unreadable, so back it up apart from the database (docs/operations.md).
secrets_file="$(dirname "${BASH_SOURCE[0]}")/.run/secrets.env"
if [ ! -s "$secrets_file" ]; then
  mkdir -p "$(dirname "$secrets_file")"
  ( umask 077
    { echo "Auth__SigningKey=$(openssl rand -base64 32)"
      echo "Privacy__MasterKey=$(openssl rand -base64 32)"
      echo "Privacy__PseudonymKey=$(openssl rand -base64 32)"; } > "$secrets_file" )
fi
# Split at the first "=" only: base64 values end in "=".
while IFS= read -r line; do name=${line%%=*}; [ -n "${!name:-}" ] || export "$name=${line#*=}"; done < "$secrets_file"
export Auth__Issuer="${Auth__Issuer:-recovery-network}"
export Auth__Audience="${Auth__Audience:-recovery-platform}"
